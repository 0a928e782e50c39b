# Sources of client/sync, added to clinicflow_client_core.
target_sources(clinicflow_client_core PRIVATE)
