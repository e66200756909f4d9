"""parole's own small SVG charts (issue #16): horizontal bars and a day-by-day line.

GROUNDWORK: the helper "charts" replaces this module's body.
"""
