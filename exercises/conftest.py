"""pytest (with --nbval) collects only the instructor notebooks in exercises/source/.

The student notebooks fail by design (their answers raise NotImplementedError), and the
fixture submissions include endless loops and crashes: tests/test_grade.py grades those.
"""

collect_ignore = ["student", "fixtures"]
