# Sources of client/sync, added to clinicflow_client_core: the sync engine (a GUI-thread facade) and what runs on
# its own thread (the poll loop, its sockets, the ordering buffer and the outbox tracker).
target_sources(clinicflow_client_core PRIVATE
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
