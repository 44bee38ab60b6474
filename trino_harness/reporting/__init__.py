"""Reports of a suites run: Allure labels and redacted evidence, the control summary, the Allure report."""
