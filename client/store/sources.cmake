# client/store: the station's SQLite file, its replica and outbox.
add_library(clinicflow_client_store STATIC
    ${CMAKE_CURRENT_LIST_DIR}/../ClientTypes.h
    ${CMAKE_CURRENT_LIST_DIR}/LocalStore.cpp
    ${CMAKE_CURRENT_LIST_DIR}/LocalStore.h
    ${CMAKE_CURRENT_LIST_DIR}/LocalStoreActions.cpp
    ${CMAKE_CURRENT_LIST_DIR}/LocalStorePrivate.h
    ${CMAKE_CURRENT_LIST_DIR}/LocalStoreRecords.cpp
    ${CMAKE_CURRENT_LIST_DIR}/LocalStoreRows.cpp
    ${CMAKE_CURRENT_LIST_DIR}/LocalStoreSync.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ReplicaState.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ReplicaState.h
    ${CMAKE_CURRENT_LIST_DIR}/StoreDatabase.cpp
    ${CMAKE_CURRENT_LIST_DIR}/StoreDatabase.h
    ${CMAKE_CURRENT_LIST_DIR}/StoreRows.cpp
    ${CMAKE_CURRENT_LIST_DIR}/StoreRows.h
    ${CMAKE_CURRENT_LIST_DIR}/StoreTypes.h
)
add_library(ClinicFlow::ClientStore ALIAS clinicflow_client_store)
set_target_properties(clinicflow_client_store PROPERTIES AUTOMOC ON)
target_link_libraries(clinicflow_client_store PUBLIC clinicflow_client_base Qt6::Sql ClinicFlow::Proto
                                              PRIVATE clinicflow_warnings)
