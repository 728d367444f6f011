"""Machinery behind ``gdteach.grade``: exercises, self-checks, student versions, bulk grading.

- ``tasks``      the task table: names, parameters, tolerances, hints, input functions
- ``references`` each task's answer computed with gdteach, and its common mistakes
- ``cases``      visible cases copied from the notebooks (for tasks later tasks call)
- ``plaindata``  the answer format (bools, floats, lists) shared by self-check and grader
- ``selfcheck``  ``check(task, function, cases)``: the feedback cell of an exercise notebook
- ``notebook``   reads an instructor notebook (nbgrader markup) and makes the student version
- ``runner``     ``grade_submission``: runs a submission in a sandbox, judges it here
- ``sandbox``    the bubblewrap sandbox and its limits; ``driver`` the program run inside
- ``untrusted``  escaping student-controlled text, opening submission files safely
- the CLI's executors, results journal, CSV, feedback pages and report: see their docstrings

Import from ``gdteach.grade``; the modules here may change.
"""
