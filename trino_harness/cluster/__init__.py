"""Cluster-internal security: what the nodes of a cluster say about each other, and how they talk."""
