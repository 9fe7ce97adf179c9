"""The parts of the fleet demo, ``examples/provision_fleet.py``: one job a module."""
