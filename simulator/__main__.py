"""`python -m simulator` runs the reference backend (same as lifeline-sim)."""

from simulator.cli import main

raise SystemExit(main())
