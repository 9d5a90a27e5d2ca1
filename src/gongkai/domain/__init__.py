"""Pure rules of the platform: no Django, no settings, no clock, no global randomness.

Everything here takes its world as arguments so anyone can recompute a deadline, a draw or a
report from published inputs.
"""
