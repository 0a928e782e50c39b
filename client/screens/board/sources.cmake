# client/screens/board: the status board.
clinicflow_add_screens(board
    ${CMAKE_CURRENT_LIST_DIR}/BoardCounts.cpp ${CMAKE_CURRENT_LIST_DIR}/BoardCounts.h
    ${CMAKE_CURRENT_LIST_DIR}/BoardDelegate.cpp ${CMAKE_CURRENT_LIST_DIR}/BoardDelegate.h
    ${CMAKE_CURRENT_LIST_DIR}/BoardScreen.cpp ${CMAKE_CURRENT_LIST_DIR}/BoardScreen.h
    ${CMAKE_CURRENT_LIST_DIR}/BoardTable.cpp ${CMAKE_CURRENT_LIST_DIR}/BoardTable.h
    ${CMAKE_CURRENT_LIST_DIR}/BoardTheme.cpp ${CMAKE_CURRENT_LIST_DIR}/BoardTheme.h
)
