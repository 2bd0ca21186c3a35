"""The TD/IR handbook: import of the source, example checks, simulation and the offline kit."""
