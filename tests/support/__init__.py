"""What several test modules share: the operations they send and the calls that set data up through the
API, by domain. A test module imports from here or from the other helper modules of tests/, never from
another test module (tests/test_imports.py)."""
