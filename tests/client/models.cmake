# Tests of client/models.
