"""The hostile-file builders the tests use live in the package (``govreports.fuzz.bombs``), shared with the fuzzer."""
from govreports.fuzz.bombs import *  # noqa: F401,F403
