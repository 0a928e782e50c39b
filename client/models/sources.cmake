# client/models: item models over the local store, one per queue.
add_library(clinicflow_client_models STATIC
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
    ${CMAKE_CURRENT_LIST_DIR}/StatusTone.cpp
    ${CMAKE_CURRENT_LIST_DIR}/StatusTone.h
    ${CMAKE_CURRENT_LIST_DIR}/TableModel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/TableModel.h
    ${CMAKE_CURRENT_LIST_DIR}/TodayVisitsModel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/TodayVisitsModel.h
    ${CMAKE_CURRENT_LIST_DIR}/VisitHistoryModel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/VisitHistoryModel.h
)
add_library(ClinicFlow::ClientModels ALIAS clinicflow_client_models)
set_target_properties(clinicflow_client_models PROPERTIES AUTOMOC ON)
target_link_libraries(clinicflow_client_models PUBLIC ClinicFlow::ClientStore PRIVATE clinicflow_warnings)
