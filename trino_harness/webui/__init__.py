"""The coordinator's Web UI driven in a real (headless) browser."""
