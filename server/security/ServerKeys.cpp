#include "ServerKeys.h"

#include "common/Logging.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QSaveFile>
#include <cerrno>
#include <cstring>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;

namespace clinicflow::server {

namespace {

constexpr auto kOwnerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
constexpr qsizetype kMinTokenLength = 16;

// The secret in <keysDir>/<name>: read when there, else made by `make` and stored, readable by the owner only.
// Written aside, then linked into place: link() fails when another process (a second start, an `enrol` racing the
// first start) made it first, and then that one is the one everybody uses.
Result<QByteArray> loadOrCreateSecret(const QString &keysDir, const QString &name,
                                      const std::function<QByteArray()> &make, bool *made)
{
    QDir dir(keysDir);
    if (!dir.mkpath(u"."_s))
        return makeError(ErrorCode::InternalError, u"cannot create the keys folder %1"_s.arg(keysDir));
    QFile::setPermissions(keysDir, kOwnerOnly | QFileDevice::ExeOwner);
    const QString path = dir.filePath(name);
    for (int attempt = 0; attempt < 2; ++attempt) {
        QFile file(path);
        if (file.exists()) {
            if (!file.open(QIODevice::ReadOnly))
                return makeError(ErrorCode::InternalError, u"cannot read %1: %2"_s.arg(path, file.errorString()));
            file.setPermissions(kOwnerOnly);
            return file.read(4096).trimmed();
        }
        const QString aside = u"%1.%2.new"_s.arg(path).arg(::getpid());
        {
            QSaveFile out(aside);
            if (!out.open(QIODevice::WriteOnly))
                return makeError(ErrorCode::InternalError, u"cannot write %1: %2"_s.arg(aside, out.errorString()));
            out.setPermissions(kOwnerOnly);
            const QByteArray secret = make();
            out.write(secret + '\n');
            if (!out.commit())
                return makeError(ErrorCode::InternalError, u"cannot write %1: %2"_s.arg(aside, out.errorString()));
        }
        const int linked = ::link(QFile::encodeName(aside).constData(), QFile::encodeName(path).constData());
        const int linkError = errno;
        QFile::remove(aside);
        if (linked == 0) {
            *made = true;
            continue; // read back what is now in place
        }
        if (linkError != EEXIST)
            return makeError(ErrorCode::InternalError,
                             u"cannot store %1: %2"_s.arg(path, QString::fromLocal8Bit(std::strerror(linkError))));
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::InternalError, u"cannot read %1: %2"_s.arg(path, file.errorString()));
    return file.read(4096).trimmed();
}

} // namespace

Result<security::KeyPair> loadOrCreateServerKeys(const QString &keysDir)
{
    bool made = false;
    auto secret = loadOrCreateSecret(
        keysDir, u"server.key"_s, [] { return security::KeyPair::generate().secretKey; }, &made);
    if (!secret)
        return secret.error();
    security::KeyPair keys{security::KeyPair::publicKeyOf(secret.value()), secret.value()};
    if (!keys.isValid())
        return makeError(ErrorCode::InternalError,
                         u"%1/server.key is not a CURVE secret key; restore it from a backup (a new key would need "
                         "every station enrolled again)"_s.arg(keysDir));
    if (made)
        qCInfo(common::lcApp).noquote() << "made the server's key pair in" << keysDir << "- public key"
                                        << QString::fromLatin1(keys.publicKey);
    return keys;
}

Result<QByteArray> loadHttpToken(const QString &tokenFile, const QString &keysDir)
{
    if (tokenFile.isEmpty()) {
        bool made = false;
        auto token = loadOrCreateSecret(
            keysDir, u"http.token"_s,
            [] {
                QByteArray random(32, Qt::Uninitialized);
                QRandomGenerator::system()->generate(random.begin(), random.end());
                return random.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
            },
            &made);
        if (token && made)
            qCInfo(common::lcApp).noquote() << "made the operators' HTTP token in" << keysDir + u"/http.token"_s;
        return token;
    }
    QFile file(tokenFile);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::InternalError,
                         u"--http-token-file: cannot read %1: %2"_s.arg(tokenFile, file.errorString()));
    const QByteArray token = file.read(4096).trimmed();
    if (token.size() < kMinTokenLength || token.contains(' ') || token.contains('\n'))
        return makeError(
            ErrorCode::InternalError,
            u"--http-token-file: %1 must hold one token of at least %2 characters, no spaces"_s.arg(tokenFile).arg(
                kMinTokenLength));
    return token;
}

} // namespace clinicflow::server
