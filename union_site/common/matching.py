"""A rule written once as a Q object, evaluated on one instance in Python (no query): `published()` filters on the
rule and a model's `is_public` evaluates the same Q, so the two cannot disagree."""

import operator

from django.db.models import Q

MATCH_LOOKUPS = {"exact": operator.eq, "lt": operator.lt, "lte": operator.le, "gt": operator.gt, "gte": operator.ge}


def q_matches(q, obj):
    """Whether `obj` satisfies `q` as the database would, for the plain field lookups the rules above use (an
    unknown lookup raises KeyError rather than guess). A comparison with NULL is never true, as in SQL; and a
    negated one holds for NULL, as Django's negation includes NULL rows."""
    results = [q_matches(child, obj) if isinstance(child, Q) else lookup_matches(obj, *child) for child in q.children]
    matched = all(results) if q.connector == Q.AND else any(results)
    return not matched if q.negated else matched


def lookup_matches(obj, key, value):
    name, _sep, lookup = key.partition("__")
    actual = getattr(obj, name)
    if lookup == "isnull":
        return (actual is None) == value
    return actual is not None and MATCH_LOOKUPS[lookup or "exact"](actual, value)
