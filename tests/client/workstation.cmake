# Workstation-level integration tests (client/station): whole stations (store + sync engine) against the real
# clinicflow-server process, through outages, crashes and conflicts.
if(NOT TARGET ClinicFlow::TestSupport)
    return()
endif()

add_library(clinicflow_workstation_test_support STATIC
    workstation/WorkstationHarness.cpp workstation/WorkstationHarness.h)
target_include_directories(clinicflow_workstation_test_support PUBLIC ${CMAKE_CURRENT_LIST_DIR}/workstation
                                                                       ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(clinicflow_workstation_test_support PUBLIC ClinicFlow::ClientCore ClinicFlow::TestSupport
                                                          Qt6::Test PRIVATE clinicflow_warnings)

# A headless station in a process of its own, for kill -9.
add_executable(clinicflow-test-station-driver workstation/StationDriver.cpp)
target_link_libraries(clinicflow-test-station-driver PRIVATE ClinicFlow::ClientCore clinicflow_warnings)

foreach(name IN ITEMS TestOfflineDay TestWorkstationCrash TestConflict TestMinimumNecessary TestRollingRestart)
    clinicflow_add_test(${name} SOURCES workstation/${name}.cpp LIBRARIES clinicflow_workstation_test_support)
    add_dependencies(${name} clinicflow-server)
    set_tests_properties(${name} PROPERTIES RUN_SERIAL TRUE TIMEOUT 240 LABELS integration)
    target_compile_definitions(${name} PRIVATE
                               CLINICFLOW_STATION_DRIVER="$<TARGET_FILE:clinicflow-test-station-driver>")
    add_dependencies(${name} clinicflow-test-station-driver)
endforeach()
