"""Itaku: the security procedure for outsourced city work, enforced and proven by records."""

import django_stubs_ext

# Lets type hints such as `forms.ModelForm[Person]` and `models.QuerySet[Event]` run, not
# only type-check.
django_stubs_ext.monkeypatch()
