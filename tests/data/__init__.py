"""Labelled development set for talkwatch (see README.md)."""
