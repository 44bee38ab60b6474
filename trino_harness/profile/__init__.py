"""Remote targets: a profile file describes an existing cluster the suites run against."""
