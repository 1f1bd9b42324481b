import sys

from bench.run import main

if __name__ == "__main__":  # a spawned child re-imports this module as __mp_main__
    sys.exit(main())
