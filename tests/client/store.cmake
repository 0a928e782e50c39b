# Tests of client/store, and the harness the workstation-core tests share: a store with a pinned clock in a
# temporary folder, and a stand-in server that plays outbox commands through the shared rules and saga
# (tests/unit's SagaPlayer), so every event a store receives is one the real contexts would emit.
add_library(clinicflow_client_test_support STATIC
    support/StoreHarness.cpp support/StoreHarness.h support/ModelWatch.h
    ${PROJECT_SOURCE_DIR}/tests/unit/support/SagaPlayer.cpp ${PROJECT_SOURCE_DIR}/tests/unit/support/SagaPlayer.h
)
target_include_directories(clinicflow_client_test_support PUBLIC ${CMAKE_CURRENT_LIST_DIR}
                                                                 ${PROJECT_SOURCE_DIR}/tests/unit)
target_link_libraries(clinicflow_client_test_support PUBLIC ClinicFlow::ClientCore ClinicFlow::Domain Qt6::Test
                                                     PRIVATE clinicflow_warnings)

clinicflow_add_test(TestLocalStore SOURCES TestLocalStore.cpp LIBRARIES clinicflow_client_test_support)
clinicflow_add_test(TestLocalStoreReplica SOURCES TestLocalStoreReplica.cpp LIBRARIES clinicflow_client_test_support)
clinicflow_add_test(TestLocalStoreCrash SOURCES TestLocalStoreCrash.cpp LIBRARIES clinicflow_client_test_support)
clinicflow_add_test(TestStoreDurability SOURCES TestStoreDurability.cpp
                    LIBRARIES clinicflow_client_test_support clinicflow_test_syncvfs)
