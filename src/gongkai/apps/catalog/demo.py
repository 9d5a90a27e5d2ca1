"""Demo data for the catalogue (steps 40–49); see demo_data.py for the generator."""
