"""An integer `__in` lookup that leaves out numbers the database's integer columns cannot hold."""

from __future__ import annotations

import math

from django.db.models import IntegerField
from django.db.models.lookups import In


class InIntegerRange(In):
    """`pk__in=[...]` with a number past the column's range, as a form or an address may carry
    (the admin's owner filter): SQLite's driver cannot bind it, a 500. No row holds such a
    number, so it is left out, as Django already does for `exact` and the comparisons."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            internal_type = self.lhs.output_field.get_internal_type()
            low, high = connection.ops.integer_field_ranges.get(internal_type, (None, None))
            low = -math.inf if low is None else low
            high = math.inf if high is None else high
            self.rhs = [value for value in self.rhs if not isinstance(value, int) or low <= value <= high]
        return super().process_rhs(compiler, connection)


def register() -> None:
    IntegerField.register_lookup(InIntegerRange)
