"""Helpers shared by the test modules; nothing here is collected as a test.

``processes``         subprocesses in their own process group and scratch Prefect servers
                      (operations, crash-safety, concurrency and Prefect UI tests)
``wire_corpus``       a generated folder of distinct wire-copy articles (crash safety, concurrency)
``warehouse_compare`` row-hash comparison and consistency checks of two warehouses
``bad_inputs``        the hostile-input corpus (``python -m tests.support.bad_inputs DIR --list``)
``fuzz``              hypothesis profiles and strategies of the ``test_fuzz_*`` property tests
"""
