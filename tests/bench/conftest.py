# A suite's own tests in a fixture project: run by bench/project_tests.py in the suite's
# environment (test_bench_scripts), never collected with deblock's tests.
collect_ignore_glob = ["fixtures/suite_library/*"]
