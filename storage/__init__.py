"""All of talkwatch's SQL: the schema, its migrations and small query functions."""
