import { createContext, useContext } from "react";

/**
 * This response's Content-Security-Policy nonce (server/index.ts), for the inline scripts Remix
 * renders. Only the server render has it; in the browser it is empty, which is fine: a nonce is
 * checked when a script is first parsed, and React keeps the server's attributes on hydration.
 */
const NonceContext = createContext("");
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
