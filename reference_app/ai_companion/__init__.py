"""The reference AI companion."""
