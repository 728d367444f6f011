"""Machinery behind ``gdteach.grade``: exercises, self-checks, student versions, bulk grading.

- ``tasks``     the exercise tasks: reference answers (computed with gdteach), tolerances,
                hints, and the plain-data rules shared by the self-check and the grader
- ``selfcheck`` ``check(task, function, cases)``: the feedback cell of an exercise notebook
- ``notebook``  reads an instructor notebook (nbgrader markup) and makes the student version
- ``runner``    grades submitted notebooks in fresh kernels and judges them in this process

Import from ``gdteach.grade``; the modules here may change.
"""
