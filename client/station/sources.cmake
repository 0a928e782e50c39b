# client/station: Station, the narrow interface the screens get (its own target, so the screens link it and not the
# engine), and Workstation, which implements it by wiring the store to the sync engine.
add_library(clinicflow_client_station STATIC ${CMAKE_CURRENT_LIST_DIR}/Station.h)
add_library(ClinicFlow::ClientStation ALIAS clinicflow_client_station)
set_target_properties(clinicflow_client_station PROPERTIES AUTOMOC ON LINKER_LANGUAGE CXX)
target_link_libraries(clinicflow_client_station PUBLIC ClinicFlow::ClientStore PRIVATE clinicflow_warnings)

add_library(clinicflow_client_workstation STATIC
    ${CMAKE_CURRENT_LIST_DIR}/Workstation.cpp
    ${CMAKE_CURRENT_LIST_DIR}/Workstation.h
)
add_library(ClinicFlow::Workstation ALIAS clinicflow_client_workstation)
set_target_properties(clinicflow_client_workstation PROPERTIES AUTOMOC ON)
target_link_libraries(clinicflow_client_workstation
    PUBLIC ClinicFlow::ClientStation ClinicFlow::ClientStore ClinicFlow::ClientSync PRIVATE clinicflow_warnings)
