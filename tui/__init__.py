"""The Textual app: screens, widgets and styles. It presents and asks; the domain decides."""
