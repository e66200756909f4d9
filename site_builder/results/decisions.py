"""What was decided (issue #16, section 3): the ``decisions`` list of a results page.

GROUNDWORK: the helper "decisions" replaces this module's body.
"""
