// The consult's documents as the server shows them to this person, fetched
// again whenever `version` changes (the session counts documentsChanged).
import { useCallback, useEffect, useState } from 'react';
import type { DocumentListResponse } from '../../shared/documents';
import { failureCodeOf } from '../api/requestFailure';
import type { DocumentsApi } from './documentsApi';

export function useDocumentList(api: DocumentsApi, version: number): {
  list: DocumentListResponse | undefined;
  error: string | undefined;
  refresh: () => void;
} {
  const [list, setList] = useState<DocumentListResponse>();
  const [error, setError] = useState<string>();
  const [ownVersion, setOwnVersion] = useState(0);
  useEffect(() => {
    let current = true;
    api
      .list()
      .then((fetched) => {
        if (!current) return;
        setList(fetched);
        setError(undefined);
      })
      .catch((failure: unknown) => {
        if (current) setError(failureCodeOf(failure));
      });
    return () => {
      current = false;
    };
  }, [api, version, ownVersion]);
  const refresh = useCallback(() => setOwnVersion((value) => value + 1), []);
  return { list, error, refresh };
}
