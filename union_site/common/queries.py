"""Several small LIMITed queries asked as one."""

from django.db import connections
from django.db.models import IntegerField, Value

PART = "query_part"  # the annotation naming which query a row came from


def fetch_parts(querysets):
    """[list(qs) for qs in querysets], in one query where the database can: a UNION ALL of the querysets (each with
    its own ORDER BY and LIMIT), rows told apart by an annotation. Each small query costs a page about as much ORM
    time as the database's work, so three to six of them on one page (an article's neighbours, the home page's
    column lists) cost twice what one does. The querysets must select the same columns (same model, only()/defer()
    and select_related) and be ordered by fields of the model. SQLite cannot LIMIT inside a UNION: there each
    queryset is asked on its own."""
    querysets = list(querysets)
    if len(querysets) < 2 or not connections[querysets[0].db].features.supports_slicing_ordering_in_compound:
        return [list(queryset) for queryset in querysets]
    marked = [qs.annotate(**{PART: Value(n, output_field=IntegerField())}) for n, qs in enumerate(querysets)]
    found = [[] for _ in querysets]
    for row in marked[0].union(*marked[1:], all=True):
        found[getattr(row, PART)].append(row)
    for rows, queryset in zip(found, querysets, strict=True):
        in_order(rows, queryset.query.order_by or queryset.model._meta.ordering)
    return found


def in_order(rows, ordering):
    """Sorts `rows` (in place) by `ordering` ("-publish_at", "id", …): SQL keeps no order across a UNION's parts'
    rows unless asked, and one ORDER BY cannot differ per part."""
    for name in reversed(ordering):
        field = str(name).lstrip("-")
        rows.sort(key=lambda row: getattr(row, field), reverse=str(name).startswith("-"))
