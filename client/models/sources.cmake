# Sources of client/models, added to clinicflow_client_core: item models over the local store, one per queue.
target_sources(clinicflow_client_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/DoctorQueueModel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/DoctorQueueModel.h
    ${CMAKE_CURRENT_LIST_DIR}/ExaminerQueueModel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ExaminerQueueModel.h
    ${CMAKE_CURRENT_LIST_DIR}/HistoryText.cpp
    ${CMAKE_CURRENT_LIST_DIR}/HistoryText.h
    ${CMAKE_CURRENT_LIST_DIR}/ModelText.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ModelText.h
    ${CMAKE_CURRENT_LIST_DIR}/OutcomeConfirmationModel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/OutcomeConfirmationModel.h
    ${CMAKE_CURRENT_LIST_DIR}/SortedRowsModel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/SortedRowsModel.h
    ${CMAKE_CURRENT_LIST_DIR}/StatusBoardModel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/StatusBoardModel.h
    ${CMAKE_CURRENT_LIST_DIR}/TodayVisitsModel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/TodayVisitsModel.h
    ${CMAKE_CURRENT_LIST_DIR}/VisitHistoryModel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/VisitHistoryModel.h
)
