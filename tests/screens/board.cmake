# The status board: the screen's real widgets offscreen, live over a local store.
clinicflow_add_test(TestBoardScreen SOURCES TestBoardScreen.cpp
                    LIBRARIES clinicflow_screens_board clinicflow_client_test_support GUI)
