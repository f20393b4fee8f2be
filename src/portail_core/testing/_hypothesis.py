"""Hook that Hypothesis calls through the ``hypothesis`` entry point.

Hypothesis runs the hook while it is being imported, possibly because
`portail_core.testing.strategies` is itself importing it. So the hook
registers deferred strategies that import that module only when drawn.
"""

from __future__ import annotations

import importlib
from typing import Any


def _hypothesis_setup_hook() -> None:
    from hypothesis import strategies as st

    from portail_core import values

    def deferred(name: str) -> Any:
        def build() -> Any:
            module = importlib.import_module("portail_core.testing.strategies")
            return getattr(module, name)()

        return st.deferred(build)

    st.register_type_strategy(values.Email, deferred("emails"))
    st.register_type_strategy(values.Password, deferred("passwords"))
    st.register_type_strategy(values.PersonName, deferred("person_names"))
    st.register_type_strategy(values.RecordNumber, deferred("record_numbers"))
    st.register_type_strategy(values.BirthDate, deferred("birth_dates"))
    st.register_type_strategy(
        values.PermanentCode, deferred("permanent_codes")
    )
    st.register_type_strategy(
        values.SchoolOrganization, deferred("organizations")
    )
