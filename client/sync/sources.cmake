# client/sync: the sync engine (a GUI-thread facade) and what runs on its own thread (the poll loop, its sockets,
# the ordering buffer and the outbox tracker). It knows nothing of the store: the workstation wires the two.
add_library(clinicflow_client_sync STATIC
    ${CMAKE_CURRENT_LIST_DIR}/CommandTracker.cpp
    ${CMAKE_CURRENT_LIST_DIR}/CommandTracker.h
    ${CMAKE_CURRENT_LIST_DIR}/EventSequencer.cpp
    ${CMAKE_CURRENT_LIST_DIR}/EventSequencer.h
    ${CMAKE_CURRENT_LIST_DIR}/SyncEngine.cpp
    ${CMAKE_CURRENT_LIST_DIR}/SyncEngine.h
    ${CMAKE_CURRENT_LIST_DIR}/SyncLoop.cpp
    ${CMAKE_CURRENT_LIST_DIR}/SyncLoop.h
    ${CMAKE_CURRENT_LIST_DIR}/SyncLoopReplies.cpp
    ${CMAKE_CURRENT_LIST_DIR}/SyncSettings.h
    ${CMAKE_CURRENT_LIST_DIR}/SyncSink.h
    ${CMAKE_CURRENT_LIST_DIR}/SyncSockets.cpp
    ${CMAKE_CURRENT_LIST_DIR}/SyncSockets.h
)
add_library(ClinicFlow::ClientSync ALIAS clinicflow_client_sync)
set_target_properties(clinicflow_client_sync PROPERTIES AUTOMOC ON)
target_link_libraries(clinicflow_client_sync PUBLIC clinicflow_client_base ClinicFlow::Proto ClinicFlow::Security
                                             PRIVATE cppzmq clinicflow_warnings)
