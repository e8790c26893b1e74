"""Itaku: the security procedure for outsourced city work, enforced and proven by records."""
