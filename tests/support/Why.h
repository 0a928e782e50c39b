// why(result): the error's message of a failed Result, empty for a good one, for QVERIFY2's description. QVERIFY2
// evaluates its description every time, so error() must never be called on a good Result there.
#pragma once

#include "domain/Result.h"

#include <QByteArray>

namespace clinicflow::testsupport {

template<typename T>
QByteArray why(const domain::Result<T> &result)
{
    return result ? QByteArray() : result.error().message().toUtf8();
}

} // namespace clinicflow::testsupport
