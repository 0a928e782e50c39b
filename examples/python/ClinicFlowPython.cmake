# The Python side of the build, shared by examples/ and tests/contract/ (each includes this file; the first does the
# work): a Python 3 that can import zmq, google.protobuf, yaml and jsonschema, and the clinicflow.v1 Python modules
# generated from shared/proto at build time. Sets CLINICFLOW_PYTHON_OK, CLINICFLOW_PYTHON3 and
# CLINICFLOW_PYTHON_PROTO_DIR (the folder to put on PYTHONPATH) in the cache, so that every directory sees them;
# defines the target clinicflow_python_protocol.
include_guard(GLOBAL)

# A test that cannot run fails, saying why, rather than vanishing from the suite.
function(clinicflow_python_test_missing name)
    add_test(NAME ${name} COMMAND sh -c "echo '${name} cannot run: ${CLINICFLOW_PYTHON_MISSING}' >&2; exit 1")
endfunction()

set(CLINICFLOW_PYTHON_OK OFF CACHE INTERNAL "Python examples and contract tests can run")
set(CLINICFLOW_PYTHON_MISSING "" CACHE INTERNAL "Why the Python examples and contract tests cannot run")
# Debian's interpreter first: its packages (python3-zmq, python3-protobuf, python3-yaml, python3-jsonschema) are
# importable there and not from a python3 that pyenv or a virtualenv puts earlier on PATH.
find_program(CLINICFLOW_PYTHON3 NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
find_program(CLINICFLOW_PYTHON3 NAMES python3)
if(NOT CLINICFLOW_PYTHON3)
    set(CLINICFLOW_PYTHON_MISSING "no python3 found" CACHE INTERNAL "")
    message(WARNING "Python examples and contract tests cannot run: ${CLINICFLOW_PYTHON_MISSING}")
    return()
endif()
execute_process(
    COMMAND ${CLINICFLOW_PYTHON3} -c "import zmq, google.protobuf, yaml, jsonschema"
    RESULT_VARIABLE _clinicflow_python_imports
    OUTPUT_QUIET ERROR_VARIABLE _clinicflow_python_error ERROR_STRIP_TRAILING_WHITESPACE)
if(NOT _clinicflow_python_imports EQUAL 0)
    string(REGEX REPLACE ".*\n" "" _clinicflow_python_error "${_clinicflow_python_error}")
    set(CLINICFLOW_PYTHON_MISSING
        "${CLINICFLOW_PYTHON3} cannot import zmq, google.protobuf, yaml and jsonschema (${_clinicflow_python_error}); on Debian: apt-get install python3-zmq python3-protobuf python3-yaml python3-jsonschema"
        CACHE INTERNAL "")
    message(WARNING "Python examples and contract tests cannot run: ${CLINICFLOW_PYTHON_MISSING}")
    return()
endif()

if(TARGET protobuf::protoc)
    set(_clinicflow_protoc $<TARGET_FILE:protobuf::protoc>)
elseif(Protobuf_PROTOC_EXECUTABLE)
    set(_clinicflow_protoc ${Protobuf_PROTOC_EXECUTABLE})
else()
    set(CLINICFLOW_PYTHON_MISSING "no protoc (protobuf-compiler)" CACHE INTERNAL "")
    message(WARNING "Python examples and contract tests cannot run: ${CLINICFLOW_PYTHON_MISSING}")
    return()
endif()

set(_clinicflow_proto_root ${PROJECT_SOURCE_DIR}/shared/proto)
set(CLINICFLOW_PYTHON_PROTO_DIR ${PROJECT_BINARY_DIR}/python CACHE INTERNAL "Generated clinicflow.v1 Python modules")
set(_clinicflow_proto_sources)
set(_clinicflow_proto_outputs)
foreach(name IN ITEMS common commands events envelope)
    list(APPEND _clinicflow_proto_sources ${_clinicflow_proto_root}/clinicflow/v1/${name}.proto)
    list(APPEND _clinicflow_proto_outputs ${CLINICFLOW_PYTHON_PROTO_DIR}/clinicflow/v1/${name}_pb2.py)
endforeach()
add_custom_command(
    OUTPUT ${_clinicflow_proto_outputs}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CLINICFLOW_PYTHON_PROTO_DIR}
    COMMAND ${_clinicflow_protoc} -I ${_clinicflow_proto_root} --python_out=${CLINICFLOW_PYTHON_PROTO_DIR}
            ${_clinicflow_proto_sources}
    DEPENDS ${_clinicflow_proto_sources}
    COMMENT "Generating the clinicflow.v1 Python modules"
    VERBATIM)
add_custom_target(clinicflow_python_protocol ALL DEPENDS ${_clinicflow_proto_outputs})
set(CLINICFLOW_PYTHON_OK ON CACHE INTERNAL "Python examples and contract tests can run")
message(STATUS "Python examples and contract tests: ${CLINICFLOW_PYTHON3}")
