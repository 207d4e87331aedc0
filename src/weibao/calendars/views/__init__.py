"""Calendar pages; each module holds one area."""
