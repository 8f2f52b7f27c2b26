"""Test mode, said out loud: pytest loads this first (pyproject's `addopts = "-p config.testing"`),
before pytest-django reads the settings, and it sets DJANGO_TESTING=1, which is what
config/settings.py reads. Whether pytest is importable, or imported by some library, says nothing
about the mode (time-machine imports pytest in the service's own time-travelling processes).

Processes a test starts as a real service (e2e/service.py) are given an environment without it.
"""

import os

os.environ["DJANGO_TESTING"] = "1"
