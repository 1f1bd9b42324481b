"""Field models behind the physics scenarios: EPANET water, SWMM drainage, tunnel gas, bridges."""
