# Tests of client/sync.
