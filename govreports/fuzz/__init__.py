"""A fuzz harness for the readers: deterministic hostile inputs (``cases``) and a runner that extracts each
in its own process under a time limit and a memory cap (``run``). ``python -m govreports.fuzz`` (``make fuzz``)."""
