"""Writes for programmes, events and sessions. Import from the submodules directly."""
