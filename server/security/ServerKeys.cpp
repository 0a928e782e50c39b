#include "ServerKeys.h"

#include "common/Logging.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <cerrno>
#include <cstring>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;

namespace clinicflow::server {

Result<security::KeyPair> loadOrCreateServerKeys(const QString &keysDir)
{
    QDir dir(keysDir);
    if (!dir.mkpath(u"."_s))
        return makeError(ErrorCode::InternalError, u"cannot create the keys folder %1"_s.arg(keysDir));
    QFile::setPermissions(keysDir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    const QString path = dir.filePath(u"server.key"_s);

    QFile file(path);
    if (file.exists()) {
        if (!file.open(QIODevice::ReadOnly))
            return makeError(ErrorCode::InternalError, u"cannot read %1: %2"_s.arg(path, file.errorString()));
        const QByteArray secret = file.read(256).trimmed();
        security::KeyPair keys{security::KeyPair::publicKeyOf(secret), secret};
        if (!keys.isValid())
            return makeError(ErrorCode::InternalError,
                             u"%1 is not a CURVE secret key; restore it from a backup (a new key would need every "
                             "station enrolled again)"_s.arg(path));
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        return keys;
    }

    // Written aside, then linked into place: link() fails when another process (a second start, an `enrol`
    // racing the first start) made the key first, and then that key is the one everybody uses.
    const auto keys = security::KeyPair::generate();
    const QString aside = u"%1.%2.new"_s.arg(path).arg(::getpid());
    {
        QSaveFile out(aside);
        if (!out.open(QIODevice::WriteOnly))
            return makeError(ErrorCode::InternalError, u"cannot write %1: %2"_s.arg(aside, out.errorString()));
        out.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        out.write(keys.secretKey + '\n');
        if (!out.commit())
            return makeError(ErrorCode::InternalError, u"cannot write %1: %2"_s.arg(aside, out.errorString()));
    }
    const int linked = ::link(QFile::encodeName(aside).constData(), QFile::encodeName(path).constData());
    const int linkError = errno;
    QFile::remove(aside);
    if (linked != 0) {
        if (linkError == EEXIST)
            return loadOrCreateServerKeys(keysDir);
        return makeError(ErrorCode::InternalError,
                         u"cannot store %1: %2"_s.arg(path, QString::fromLocal8Bit(std::strerror(linkError))));
    }
    qCInfo(common::lcApp).noquote() << "made the server's key pair in" << path << "- public key"
                                    << QString::fromLatin1(keys.publicKey);
    return keys;
}

} // namespace clinicflow::server
