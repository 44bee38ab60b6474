"""Who may do what, judged over everything the cluster has rather than the rows a scenario declares.

``file_rules`` reads the scenario's ``access_rules`` (the intent) with Trino's own semantics;
``universe`` finds the objects the operator sees; ``probe`` asks the live cluster what one identity
can do to them; ``access_map`` holds the answers, compares them cell by cell and writes them out.
"""
