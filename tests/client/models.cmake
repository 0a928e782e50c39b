# Tests of client/models: every model over a real local store, checked by QAbstractItemModelTester while the store
# changes under it (the harness is defined in store.cmake).
clinicflow_add_test(TestClientModels SOURCES TestClientModels.cpp LIBRARIES clinicflow_client_test_support)
clinicflow_add_test(TestStatusBoardModel SOURCES TestStatusBoardModel.cpp LIBRARIES clinicflow_client_test_support)
# The timeline's words for a visit's examinations.
clinicflow_add_test(TestHistoryText SOURCES TestHistoryText.cpp LIBRARIES clinicflow_client_test_support)
