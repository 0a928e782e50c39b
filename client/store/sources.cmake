# Sources of client/store, added to clinicflow_client_core.
target_sources(clinicflow_client_core PRIVATE)
