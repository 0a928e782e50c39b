# Sources of client/store, added to clinicflow_client_core: the station's SQLite file, its replica and outbox.
target_sources(clinicflow_client_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/LocalStore.cpp
    ${CMAKE_CURRENT_LIST_DIR}/LocalStore.h
    ${CMAKE_CURRENT_LIST_DIR}/LocalStoreActions.cpp
    ${CMAKE_CURRENT_LIST_DIR}/LocalStorePrivate.h
    ${CMAKE_CURRENT_LIST_DIR}/LocalStoreRecords.cpp
    ${CMAKE_CURRENT_LIST_DIR}/LocalStoreSync.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ReplicaState.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ReplicaState.h
    ${CMAKE_CURRENT_LIST_DIR}/StoreDatabase.cpp
    ${CMAKE_CURRENT_LIST_DIR}/StoreDatabase.h
    ${CMAKE_CURRENT_LIST_DIR}/StoreRows.cpp
    ${CMAKE_CURRENT_LIST_DIR}/StoreRows.h
    ${CMAKE_CURRENT_LIST_DIR}/StoreTypes.h
)
